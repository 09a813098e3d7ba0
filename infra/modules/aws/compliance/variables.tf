variable "name" {
  type        = string
  description = "Name of the configuration recorder and prefix of the rules."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 characters of lowercase letters, digits and dashes, starting with a letter."
  }
}

variable "delivery_bucket_name" {
  type        = string
  description = "Bucket receiving configuration snapshots (output bucket_name of the audit module)."
  validation {
    condition     = length(var.delivery_bucket_name) >= 3
    error_message = "delivery_bucket_name must be a bucket name."
  }
}

variable "delivery_kms_key_id" {
  type        = string
  description = "ARN of the KMS key of the delivery bucket (output kms_key_id of the audit module)."
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.delivery_kms_key_id))
    error_message = "delivery_kms_key_id must be a KMS key ARN."
  }
}

variable "require_deletion_protection" {
  type        = bool
  description = "Also evaluate RDS_INSTANCE_DELETION_PROTECTION_ENABLED (set true in prod)."
  default     = false
}

variable "require_private_cluster_endpoint" {
  type        = bool
  description = "Also evaluate EKS_ENDPOINT_NO_PUBLIC_ACCESS (set true where the API endpoint is private)."
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
