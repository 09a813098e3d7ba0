output "network_id" {
  description = "ID of the VPC network."
  value       = google_compute_network.this.id
}

output "cidr" {
  description = "Primary IPv4 range of the private subnet."
  value       = google_compute_subnetwork.private.ip_cidr_range
}

output "public_subnet_ids" {
  description = "Always empty on GCP: load balancers need no public subnet (kept for interface parity with AWS)."
  value       = []
}

output "private_subnet_ids" {
  description = "Self links of the private subnets (one regional subnet)."
  value       = [google_compute_subnetwork.private.id]
}

output "pods_range_name" {
  description = "Name of the secondary range for pods."
  value       = "pods"
}

output "services_range_name" {
  description = "Name of the secondary range for services."
  value       = "services"
}

output "private_services_connection" {
  description = "ID of the private services connection (dependency of Cloud SQL private IP)."
  value       = google_service_networking_connection.this.id
}
