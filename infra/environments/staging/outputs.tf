output "cluster_name" {
  description = "EKS cluster name (aws eks update-kubeconfig --name ...)."
  value       = module.eks.cluster_name
}

output "database_endpoint" {
  description = "PostgreSQL host for the host's DATABASE_URL."
  value       = module.database.endpoint
}

output "database_secret_id" {
  description = "Secrets Manager ARN of the database credentials."
  value       = module.database.master_secret_id
}

output "workload_identities" {
  description = "IAM role ARNs for the chart's serviceAccount annotations, by component."
  value       = module.iam.workload_identities
}

output "cluster_autoscaler_role_arn" {
  description = "IAM role for the cluster autoscaler (umbrella chart value cluster-autoscaler.rbac.serviceAccount.annotations)."
  value       = module.eks.cluster_autoscaler_role_arn
}

output "secret_ids" {
  description = "Secrets Manager ARNs to fill with aws secretsmanager put-secret-value."
  value       = module.secrets.secret_ids
}

output "artifacts_bucket" {
  description = "Bucket for reports and audit exports."
  value       = module.artifacts.bucket_name
}

output "budget_topic_id" {
  description = "SNS topic of the budget notifications."
  value       = module.budgets.sns_topic_id
}
