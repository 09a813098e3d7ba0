output "endpoint" {
  description = "Host name of the database (private DNS)."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "TCP port of the database."
  value       = aws_db_instance.this.port
}

output "database_name" {
  description = "Name of the database for the host's state."
  value       = aws_db_instance.this.db_name
}

output "master_secret_id" {
  description = "Secrets Manager ARN of the generated master credentials (username and password)."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "security_group_id" {
  description = "Security group of the database."
  value       = aws_security_group.this.id
}
