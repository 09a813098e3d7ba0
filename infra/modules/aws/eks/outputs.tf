output "cluster_name" {
  description = "Name of the cluster."
  value       = aws_eks_cluster.this.name
}

output "cluster_endpoint" {
  description = "HTTPS endpoint of the Kubernetes API."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_ca_certificate" {
  description = "Base64-encoded CA certificate of the Kubernetes API."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "oidc_provider_arn" {
  description = "ARN of the IAM OIDC provider (input of the iam module for IRSA)."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "oidc_issuer_url" {
  description = "Issuer URL of the cluster's service-account tokens."
  value       = aws_eks_cluster.this.identity[0].oidc[0].issuer
}

output "cluster_autoscaler_role_arn" {
  description = "IAM role for the cluster autoscaler's service account (kube-system/cluster-autoscaler)."
  value       = aws_iam_role.autoscaler.arn
}

output "node_role_arn" {
  description = "IAM role of the managed nodes."
  value       = aws_iam_role.node.arn
}
