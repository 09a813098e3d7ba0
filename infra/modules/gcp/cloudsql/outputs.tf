output "endpoint" {
  description = "Private IP address of the instance."
  value       = google_sql_database_instance.this.private_ip_address
}

output "port" {
  description = "TCP port of the database."
  value       = 5432
}

output "database_name" {
  description = "Name of the database for the host's state."
  value       = google_sql_database.this.name
}

output "master_secret_id" {
  description = "Secret Manager ID of the master credentials (JSON with username and password)."
  value       = google_secret_manager_secret.master.id
}
