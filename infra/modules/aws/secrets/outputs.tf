output "secret_ids" {
  description = "Map of secret key to Secrets Manager ARN."
  value       = { for k, s in aws_secretsmanager_secret.this : k => s.arn }
}

output "kms_key_id" {
  description = "ARN of the KMS key encrypting the secrets."
  value       = aws_kms_key.this.arn
}

output "rotation_topic_id" {
  description = "ARN of the SNS topic that receives rotation and update events of the secrets."
  value       = aws_sns_topic.rotation.arn
}
