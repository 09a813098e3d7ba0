variable "name" {
  type        = string
  description = "Name prefix of the roles (usually the environment's name)."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 characters of lowercase letters, digits and dashes, starting with a letter."
  }
}

variable "namespace" {
  type        = string
  description = "Kubernetes namespace the platform's service accounts live in."
  default     = "devops-ai"
  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.namespace)) && length(var.namespace) <= 63
    error_message = "namespace must be a valid Kubernetes namespace name."
  }
}

variable "release_name" {
  type        = string
  description = "Helm release name; service accounts are named <release_name>-<component>."
  default     = "devops-ai"
  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.release_name)) && length(var.release_name) <= 40
    error_message = "release_name must be a valid Helm release name of at most 40 characters."
  }
}

variable "oidc_provider_arn" {
  type        = string
  description = "ARN of the cluster's IAM OIDC provider (output of the eks module)."
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be an IAM OIDC provider ARN."
  }
}

variable "oidc_issuer_url" {
  type        = string
  description = "Issuer URL of the cluster's service-account tokens (output of the eks module)."
  validation {
    condition     = startswith(var.oidc_issuer_url, "https://")
    error_message = "oidc_issuer_url must be an https URL."
  }
}

variable "secret_ids" {
  type        = list(string)
  description = "Secrets Manager ARNs the host may read (model keys, bot tokens, database credentials)."
  default     = []
  validation {
    condition     = alltrue([for s in var.secret_ids : can(regex("^arn:aws[a-z-]*:secretsmanager:", s))])
    error_message = "secret_ids must be Secrets Manager ARNs."
  }
}

variable "secrets_kms_key_id" {
  type        = string
  description = "ARN of the KMS key encrypting those secrets; the host gets kms:Decrypt on it via Secrets Manager only."
  default     = null
  validation {
    condition     = var.secrets_kms_key_id == null || can(regex("^arn:aws[a-z-]*:kms:", var.secrets_kms_key_id))
    error_message = "secrets_kms_key_id must be a KMS key ARN or null."
  }
}

variable "artifacts_bucket_id" {
  type        = string
  description = "ARN of the bucket where the host writes reports and audit exports; null grants no S3 access."
  default     = null
  validation {
    condition     = var.artifacts_bucket_id == null || can(regex("^arn:aws[a-z-]*:s3:::", var.artifacts_bucket_id))
    error_message = "artifacts_bucket_id must be an S3 bucket ARN or null."
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
