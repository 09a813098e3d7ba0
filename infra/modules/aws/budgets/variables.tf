variable "name" {
  type        = string
  description = "Name of the budget and of its SNS topic."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,60}$", var.name))
    error_message = "name must be 2-61 characters of lowercase letters, digits and dashes, starting with a letter."
  }
}

variable "monthly_limit_usd" {
  type        = number
  description = "Monthly cost budget in USD."
  validation {
    condition     = var.monthly_limit_usd > 0
    error_message = "monthly_limit_usd must be positive."
  }
}

variable "alert_thresholds_percent" {
  type        = list(number)
  description = "Percentages of the budget at which a notification is sent (actual spend; the last one also on forecast)."
  default     = [50, 80, 100]
  validation {
    condition     = length(var.alert_thresholds_percent) > 0 && alltrue([for t in var.alert_thresholds_percent : t > 0 && t <= 1000])
    error_message = "alert_thresholds_percent must hold values between 0 (exclusive) and 1000."
  }
}

variable "webhook_url" {
  type        = string
  description = "HTTPS endpoint of the host that receives the SNS notifications (it must confirm the SNS subscription), e.g. https://devops-ai.example.com/webhooks/sns."
  validation {
    condition     = startswith(var.webhook_url, "https://")
    error_message = "webhook_url must be an https URL (SNS signs, but does not encrypt, plain HTTP deliveries)."
  }
}

variable "notification_emails" {
  type        = list(string)
  description = "Extra e-mail subscribers of the budget notifications."
  default     = []
  validation {
    condition     = alltrue([for e in var.notification_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "notification_emails must be e-mail addresses."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to every resource."
  default     = {}
  validation {
    condition     = alltrue([for k, v in var.tags : length(k) >= 1 && length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:")])
    error_message = "tags keys must be 1-128 characters and may not start with aws:; values at most 256 characters."
  }
}
