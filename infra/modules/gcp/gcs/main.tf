locals {
  # Flatten each rule into the GCS actions it implies (GCS rules hold one action each).
  gcs_rules = flatten([for r in var.lifecycle_rules : concat(
    r.expiration_days == null ? [] : [{ action = "Delete", storage_class = null, age = r.expiration_days, prefix = r.prefix, live = true }],
    r.transition_to_ia_days == null ? [] : [{ action = "SetStorageClass", storage_class = "NEARLINE", age = r.transition_to_ia_days, prefix = r.prefix, live = true }],
    r.noncurrent_expiration_days == null ? [] : [{ action = "Delete", storage_class = null, age = r.noncurrent_expiration_days, prefix = r.prefix, live = false }],
  )])
}

resource "google_storage_bucket" "this" {
  project                     = var.project_id
  name                        = var.name
  location                    = var.location
  force_destroy               = var.force_destroy
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  labels                      = var.tags

  versioning {
    enabled = var.versioning_enabled
  }

  dynamic "encryption" {
    for_each = var.kms_key_id == null ? [] : [var.kms_key_id]
    content {
      default_kms_key_name = encryption.value
    }
  }

  lifecycle_rule {
    action {
      type = "AbortIncompleteMultipartUpload"
    }
    condition {
      age = 7
    }
  }

  dynamic "lifecycle_rule" {
    for_each = local.gcs_rules
    content {
      action {
        type          = lifecycle_rule.value.action
        storage_class = lifecycle_rule.value.storage_class
      }
      condition {
        age                        = lifecycle_rule.value.live ? lifecycle_rule.value.age : null
        days_since_noncurrent_time = lifecycle_rule.value.live ? null : lifecycle_rule.value.age
        with_state                 = lifecycle_rule.value.live ? "LIVE" : "ARCHIVED"
        matches_prefix             = lifecycle_rule.value.prefix == "" ? [] : [lifecycle_rule.value.prefix]
      }
    }
  }
}
