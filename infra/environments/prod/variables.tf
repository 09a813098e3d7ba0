variable "region" {
  type        = string
  description = "AWS region of the environment."
  default     = "eu-west-1"
  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region such as eu-west-1."
  }
}

variable "budget_webhook_url" {
  type        = string
  description = "HTTPS URL of the host's SNS endpoint that receives budget notifications."
  validation {
    condition     = startswith(var.budget_webhook_url, "https://")
    error_message = "budget_webhook_url must be an https URL."
  }
}

variable "monthly_budget_usd" {
  type        = number
  description = "Monthly AWS budget of the environment in USD."
  validation {
    condition     = var.monthly_budget_usd > 0
    error_message = "monthly_budget_usd must be positive."
  }
}

variable "manage_hpa" {
  type        = bool
  description = "Create the platform's HPAs with Terraform (then disable them in the chart's values)."
  default     = false
}
