output "bucket_name" {
  description = "Name of the bucket."
  value       = aws_s3_bucket.this.bucket
}

output "bucket_id" {
  description = "ARN of the bucket."
  value       = aws_s3_bucket.this.arn
}
