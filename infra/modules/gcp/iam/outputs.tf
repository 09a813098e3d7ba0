output "workload_identities" {
  description = "Map of component (host, cost, metrics) to the Google service account email its Kubernetes service account impersonates (annotation iam.gke.io/gcp-service-account)."
  value       = { for k, sa in google_service_account.this : k => sa.email }
}

output "components_without_cloud_access" {
  description = "Components that deliberately get no cloud identity."
  value       = local.components_without
}
