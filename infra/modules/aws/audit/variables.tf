variable "name" {
  type        = string
  description = "Name of the trail; the log bucket is <name>-audit-<account id>."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 characters of lowercase letters, digits and dashes, starting with a letter."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Days the audit logs are kept before expiry (365 or more is typical for audits)."
  default     = 400
  validation {
    condition     = var.log_retention_days >= 90
    error_message = "log_retention_days must be at least 90."
  }
}

variable "force_destroy" {
  type        = bool
  description = "Allow destroying the log bucket with its content (throwaway environments only)."
  default     = false
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
