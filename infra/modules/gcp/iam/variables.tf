variable "name" {
  type        = string
  description = "Prefix of the Google service accounts (at most 20 characters, so <name>-<component> fits GCP's 30)."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,19}$", var.name))
    error_message = "name must be 2-20 characters of lowercase letters, digits and dashes, starting with a letter."
  }
}

variable "project_id" {
  type        = string
  description = "GCP project ID."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a valid GCP project ID."
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
  description = "Helm release name; Kubernetes service accounts are named <release_name>-<component>."
  default     = "devops-ai"
  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.release_name))
    error_message = "release_name must be a valid Helm release name."
  }
}

variable "workload_identity_pool" {
  type        = string
  description = "Workload Identity pool of the cluster (output of the gke module)."
  validation {
    condition     = endswith(var.workload_identity_pool, ".svc.id.goog")
    error_message = "workload_identity_pool must end with .svc.id.goog."
  }
}

variable "secret_ids" {
  type        = list(string)
  description = "Secret Manager secret IDs the host may read."
  default     = []
  validation {
    condition     = alltrue([for s in var.secret_ids : can(regex("^projects/[^/]+/secrets/[^/]+$", s))])
    error_message = "secret_ids must be Secret Manager IDs like projects/<project>/secrets/<name>."
  }
}

variable "billing_account_id" {
  type        = string
  description = "Billing account the cost server reads (billing.viewer); null grants nothing."
  default     = null
  validation {
    condition     = var.billing_account_id == null || can(regex("^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$", var.billing_account_id))
    error_message = "billing_account_id must look like 012345-6789AB-CDEF01 or be null."
  }
}

variable "artifacts_bucket_name" {
  type        = string
  description = "Bucket where the host writes reports and audit exports; null grants no storage access."
  default     = null
  validation {
    condition     = var.artifacts_bucket_name == null || can(regex("^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$", var.artifacts_bucket_name))
    error_message = "artifacts_bucket_name must be a bucket name or null."
  }
}
