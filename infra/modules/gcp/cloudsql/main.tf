resource "google_sql_database_instance" "this" {
  project             = var.project_id
  name                = var.name
  region              = var.region
  database_version    = "POSTGRES_${var.engine_version}"
  deletion_protection = var.deletion_protection

  settings {
    tier                        = var.instance_class
    availability_type           = var.multi_az ? "REGIONAL" : "ZONAL"
    disk_size                   = var.allocated_storage_gb
    disk_autoresize             = true
    disk_type                   = "PD_SSD"
    deletion_protection_enabled = var.deletion_protection
    user_labels                 = var.tags

    ip_configuration {
      ipv4_enabled    = false
      private_network = var.network_id
      ssl_mode        = "ENCRYPTED_ONLY"
    }

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
      start_time                     = "03:00"
      backup_retention_settings {
        retained_backups = var.backup_retention_days
      }
    }

    maintenance_window {
      day  = 7
      hour = 4
    }

    database_flags {
      name  = "log_min_duration_statement"
      value = "1000"
    }
  }
}

resource "google_sql_database" "this" {
  project  = var.project_id
  name     = var.database_name
  instance = google_sql_database_instance.this.name
}

resource "random_password" "master" {
  length  = 32
  special = false
}

resource "google_sql_user" "master" {
  project  = var.project_id
  name     = "devops_ai"
  instance = google_sql_database_instance.this.name
  password = random_password.master.result
}

resource "google_secret_manager_secret" "master" {
  project   = var.project_id
  secret_id = "${var.name}-master"
  labels    = var.tags
  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "master" {
  secret = google_secret_manager_secret.master.id
  secret_data = jsonencode({
    username = google_sql_user.master.name
    password = random_password.master.result
  })
}
