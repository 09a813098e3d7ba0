variable "name" {
  type        = string
  description = "Path prefix of the secrets, e.g. devops-ai/prod; secrets are named <name>/<key>."
  validation {
    condition     = can(regex("^[a-zA-Z0-9/_+=.@-]{1,200}$", var.name))
    error_message = "name may contain letters, digits and /_+=.@- only."
  }
}

variable "secrets" {
  type = map(object({
    description   = string
    rotation_days = optional(number)
  }))
  description = "Secrets to create, by key (e.g. anthropic_api_key, slack_bot_token). Values are never set by Terraform: put them with the AWS CLI so they stay out of the state. rotation_days enables rotation through rotation_lambda_arn."
  default = {
    anthropic_api_key   = { description = "Anthropic API key for the host's model provider" }
    openai_api_key      = { description = "OpenAI API key (optional second provider)" }
    slack_bot_token     = { description = "Slack bot token (xoxb-...)" }
    telegram_bot_token  = { description = "Telegram bot token" }
    github_token        = { description = "GitHub token of the github MCP server" }
    alertmanager_token  = { description = "Bearer token Alertmanager sends to /webhooks/alertmanager", rotation_days = 90 }
    mcp_bearer_token    = { description = "Bearer token the host presents to the MCP servers", rotation_days = 90 }
    console_session_key = { description = "Signing key of the web console's sessions", rotation_days = 30 }
  }
  validation {
    condition     = alltrue([for k, s in var.secrets : can(regex("^[a-z][a-z0-9_]{1,62}$", k)) && (s.rotation_days == null || try(s.rotation_days >= 1 && s.rotation_days <= 365, false))])
    error_message = "secret keys must be snake_case and rotation_days between 1 and 365."
  }
}

variable "rotation_lambda_arn" {
  type        = string
  description = "Lambda that rotates secrets with rotation_days (Secrets Manager rotation contract); null leaves rotation to the rotation-event hook only."
  default     = null
  validation {
    condition     = var.rotation_lambda_arn == null || can(regex("^arn:aws[a-z-]*:lambda:", var.rotation_lambda_arn))
    error_message = "rotation_lambda_arn must be a Lambda function ARN or null."
  }
}

variable "recovery_window_days" {
  type        = number
  description = "Days a deleted secret can still be restored (0 deletes immediately; use 7-30 outside dev)."
  default     = 30
  validation {
    condition     = var.recovery_window_days == 0 || (var.recovery_window_days >= 7 && var.recovery_window_days <= 30)
    error_message = "recovery_window_days must be 0 or between 7 and 30."
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
