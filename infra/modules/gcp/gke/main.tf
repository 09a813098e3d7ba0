resource "google_service_account" "nodes" {
  project      = var.project_id
  account_id   = "${substr(var.name, 0, 23)}-nodes"
  display_name = "GKE nodes of ${var.name}"
}

resource "google_project_iam_member" "nodes" {
  for_each = toset(["roles/logging.logWriter", "roles/monitoring.metricWriter", "roles/monitoring.viewer", "roles/artifactregistry.reader"])

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.nodes.email}"
}

# Application-layer encryption of Secrets with a Cloud KMS key when kms_key_id is set (etcd is
# encrypted at rest by Google in every case).
resource "google_container_cluster" "this" {
  project             = var.project_id
  name                = var.name
  location            = var.region
  network             = var.network_id
  subnetwork          = var.private_subnet_ids[0]
  min_master_version  = var.kubernetes_version
  deletion_protection = var.deletion_protection
  resource_labels     = var.tags

  remove_default_node_pool = true
  initial_node_count       = 1

  release_channel {
    channel = "REGULAR"
  }

  ip_allocation_policy {
    cluster_secondary_range_name  = "pods"
    services_secondary_range_name = "services"
  }

  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = !var.endpoint_public_access
    master_ipv4_cidr_block  = "172.16.0.0/28"
  }

  dynamic "master_authorized_networks_config" {
    for_each = var.endpoint_public_access ? [1] : []
    content {
      dynamic "cidr_blocks" {
        for_each = var.public_access_cidrs
        content {
          cidr_block = cidr_blocks.value
        }
      }
    }
  }

  workload_identity_config {
    workload_pool = "${var.project_id}.svc.id.goog"
  }

  database_encryption {
    state    = var.kms_key_id == null ? "DECRYPTED" : "ENCRYPTED"
    key_name = var.kms_key_id
  }

  network_policy {
    enabled  = true
    provider = "CALICO"
  }

  cluster_autoscaling {
    autoscaling_profile = "OPTIMIZE_UTILIZATION"
  }

  logging_config {
    enable_components = ["SYSTEM_COMPONENTS", "WORKLOADS", "APISERVER"]
  }
}

resource "google_container_node_pool" "this" {
  for_each = var.node_groups

  project            = var.project_id
  name               = each.key
  location           = var.region
  cluster            = google_container_cluster.this.name
  initial_node_count = each.value.desired_size

  autoscaling {
    min_node_count = each.value.min_size
    max_node_count = each.value.max_size
  }

  management {
    auto_repair  = true
    auto_upgrade = true
  }

  node_config {
    machine_type    = each.value.instance_types[0]
    disk_size_gb    = each.value.disk_size_gb
    disk_type       = "pd-balanced"
    spot            = each.value.capacity_type == "SPOT"
    service_account = google_service_account.nodes.email
    oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]
    labels          = merge(each.value.labels, { "devops-ai/capacity-type" = lower(each.value.capacity_type) })
    resource_labels = var.tags

    workload_metadata_config {
      mode = "GKE_METADATA"
    }

    shielded_instance_config {
      enable_secure_boot = true
    }

    dynamic "taint" {
      for_each = each.value.capacity_type == "SPOT" ? [1] : []
      content {
        key    = "devops-ai/spot"
        value  = "true"
        effect = "PREFER_NO_SCHEDULE"
      }
    }
  }

  lifecycle {
    ignore_changes = [initial_node_count]
  }
}
