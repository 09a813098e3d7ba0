output "trail_id" {
  description = "ARN of the CloudTrail trail."
  value       = aws_cloudtrail.this.arn
}

output "bucket_name" {
  description = "Name of the encrypted bucket holding CloudTrail and AWS Config logs."
  value       = module.bucket.bucket_name
}

output "kms_key_id" {
  description = "ARN of the KMS key encrypting the audit logs."
  value       = aws_kms_key.this.arn
}
