output "cluster_name" {
  description = "Name of the cluster."
  value       = google_container_cluster.this.name
}

output "cluster_endpoint" {
  description = "HTTPS endpoint of the Kubernetes API."
  value       = "https://${google_container_cluster.this.endpoint}"
}

output "cluster_ca_certificate" {
  description = "Base64-encoded CA certificate of the Kubernetes API."
  value       = google_container_cluster.this.master_auth[0].cluster_ca_certificate
}

output "workload_identity_pool" {
  description = "Workload Identity pool (input of the iam module; the GKE counterpart of EKS's OIDC provider)."
  value       = google_container_cluster.this.workload_identity_config[0].workload_pool
}
