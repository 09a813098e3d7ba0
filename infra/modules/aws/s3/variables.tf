variable "name" {
  type        = string
  description = "Globally unique bucket name."
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name)) && !can(regex("\\.\\.", var.name))
    error_message = "name must be a valid S3 bucket name: 3-63 lowercase letters, digits, dots and dashes."
  }
}

variable "versioning_enabled" {
  type        = bool
  description = "Keep every version of every object (recommended; required for audit logs)."
  default     = true
}

variable "kms_key_id" {
  type        = string
  description = "ARN of a KMS key for SSE-KMS; null uses SSE-S3 (AES-256). Objects are encrypted either way."
  default     = null
  validation {
    condition     = var.kms_key_id == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_id))
    error_message = "kms_key_id must be a KMS key ARN or null."
  }
}

variable "lifecycle_rules" {
  type = list(object({
    id                         = string
    prefix                     = optional(string, "")
    transition_to_ia_days      = optional(number)
    expiration_days            = optional(number)
    noncurrent_expiration_days = optional(number, 90)
  }))
  description = "Lifecycle rules. At least one is required so nothing is kept forever by accident; incomplete multipart uploads are always aborted after 7 days."
  validation {
    condition     = length(var.lifecycle_rules) > 0
    error_message = "lifecycle_rules must hold at least one rule."
  }
  validation {
    condition = alltrue([for r in var.lifecycle_rules : (
      (r.expiration_days == null || try(r.expiration_days >= 1, false)) &&
      (r.transition_to_ia_days == null || try(r.transition_to_ia_days >= 30, false)) &&
      (r.noncurrent_expiration_days == null || try(r.noncurrent_expiration_days >= 1, false))
    )])
    error_message = "expiration_days and noncurrent_expiration_days must be >= 1, transition_to_ia_days >= 30 (an S3 minimum)."
  }
}

variable "policy_statements_json" {
  type        = string
  description = "Extra bucket-policy statements as a JSON policy document (e.g. a log-delivery service's grants); a deny of non-TLS access is always added."
  default     = null
  validation {
    condition     = var.policy_statements_json == null || can(jsondecode(var.policy_statements_json).Statement)
    error_message = "policy_statements_json must be a JSON policy document with a Statement list."
  }
}

variable "force_destroy" {
  type        = bool
  description = "Allow terraform destroy to delete a non-empty bucket. Keep false outside throwaway environments."
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
