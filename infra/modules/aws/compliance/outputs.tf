output "recorder_name" {
  description = "Name of the AWS Config recorder."
  value       = aws_config_configuration_recorder.this.name
}

output "rule_names" {
  description = "Names of the AWS Config managed rules evaluated."
  value       = sort([for r in aws_config_config_rule.this : r.name])
}
