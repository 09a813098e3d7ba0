output "workload_identities" {
  description = "Map of component (host, cost, metrics) to the IAM role ARN its service account assumes; put it in the chart's serviceAccount annotations (eks.amazonaws.com/role-arn)."
  value       = { for k, r in aws_iam_role.this : k => r.arn }
}

output "components_without_cloud_access" {
  description = "Components that deliberately get no cloud identity."
  value       = local.components_without
}
