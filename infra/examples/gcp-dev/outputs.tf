output "cluster_name" {
  description = "GKE cluster name (gcloud container clusters get-credentials ...)."
  value       = module.gke.cluster_name
}

output "database_endpoint" {
  description = "Private IP of the PostgreSQL instance for the host's DATABASE_URL."
  value       = module.database.endpoint
}

output "database_secret_id" {
  description = "Secret Manager ID of the database credentials."
  value       = module.database.master_secret_id
}

output "workload_identities" {
  description = "Google service accounts for the chart's serviceAccount annotations (iam.gke.io/gcp-service-account), by component."
  value       = module.iam.workload_identities
}

output "artifacts_bucket" {
  description = "Bucket for reports and audit exports."
  value       = module.artifacts.bucket_name
}
