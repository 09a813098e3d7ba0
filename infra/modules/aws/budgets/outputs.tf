output "budget_name" {
  description = "Name of the AWS budget."
  value       = aws_budgets_budget.this.name
}

output "sns_topic_id" {
  description = "ARN of the SNS topic the budget notifies."
  value       = aws_sns_topic.this.arn
}
