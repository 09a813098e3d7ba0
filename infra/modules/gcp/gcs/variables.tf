variable "name" {
  type        = string
  description = "Globally unique bucket name."
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$", var.name))
    error_message = "name must be a valid bucket name: 3-63 lowercase letters, digits, dots, dashes and underscores."
  }
}

variable "project_id" {
  type        = string
  description = "GCP project ID."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a valid GCP project ID."
  }
}

variable "location" {
  type        = string
  description = "Bucket location (region or multi-region), e.g. EUROPE-WEST1 or EU."
  validation {
    condition     = can(regex("^[A-Za-z0-9-]+$", var.location))
    error_message = "location must be a GCS location."
  }
}

variable "versioning_enabled" {
  type        = bool
  description = "Keep noncurrent versions of objects."
  default     = true
}

variable "kms_key_id" {
  type        = string
  description = "Cloud KMS key for CMEK; null uses Google-managed encryption. Objects are encrypted either way."
  default     = null
  validation {
    condition     = var.kms_key_id == null || can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", var.kms_key_id))
    error_message = "kms_key_id must be a Cloud KMS key ID (projects/.../cryptoKeys/...) or null."
  }
}

variable "lifecycle_rules" {
  type = list(object({
    id                         = string
    prefix                     = optional(string, "")
    transition_to_ia_days      = optional(number)
    expiration_days            = optional(number)
    noncurrent_expiration_days = optional(number, 90)
  }))
  description = "Lifecycle rules, same shape as the s3 module (transition_to_ia_days moves objects to NEARLINE). At least one is required."
  validation {
    condition     = length(var.lifecycle_rules) > 0
    error_message = "lifecycle_rules must hold at least one rule."
  }
}

variable "force_destroy" {
  type        = bool
  description = "Allow terraform destroy to delete a non-empty bucket."
  default     = false
}

variable "tags" {
  type        = map(string)
  description = "Labels of the bucket."
  default     = {}
  validation {
    condition     = alltrue([for k, v in var.tags : can(regex("^[a-z][a-z0-9_-]{0,62}$", k)) && can(regex("^[a-z0-9_-]{0,63}$", v))])
    error_message = "GCP labels need lowercase keys and values of letters, digits, dashes and underscores."
  }
}
