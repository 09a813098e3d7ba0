variable "name" {
  type        = string
  description = "Name of the Cloud SQL instance (lowercase letters, digits and dashes)."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,60}[a-z0-9]$", var.name))
    error_message = "name must be 3-62 characters of lowercase letters, digits and dashes, starting with a letter."
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

variable "region" {
  type        = string
  description = "Region of the instance."
  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "region must look like europe-west1."
  }
}

variable "engine_version" {
  type        = string
  description = "PostgreSQL major version, e.g. \"16\"."
  default     = "16"
  validation {
    condition     = contains(["14", "15", "16", "17"], var.engine_version)
    error_message = "engine_version must be one of 14, 15, 16, 17."
  }
}

variable "instance_class" {
  type        = string
  description = "Machine tier, e.g. db-f1-micro or db-custom-2-7680."
  validation {
    condition     = can(regex("^db-", var.instance_class))
    error_message = "instance_class must be a Cloud SQL tier (db-...)."
  }
}

variable "allocated_storage_gb" {
  type        = number
  description = "Initial disk size in GB (grows automatically)."
  default     = 20
  validation {
    condition     = var.allocated_storage_gb >= 10 && var.allocated_storage_gb <= 65536
    error_message = "allocated_storage_gb must be between 10 and 65536."
  }
}

variable "database_name" {
  type        = string
  description = "Name of the database for the host's state."
  default     = "devops_ai"
  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must start with a letter and contain lowercase letters, digits and underscores."
  }
}

variable "network_id" {
  type        = string
  description = "ID of the VPC network with private services access (output network_id of the network module)."
  validation {
    condition     = can(regex("^projects/[^/]+/global/networks/[^/]+$", var.network_id))
    error_message = "network_id must be a network ID like projects/<project>/global/networks/<name>."
  }
}

variable "backup_retention_days" {
  type        = number
  description = "Number of automated backups kept (one per day)."
  default     = 7
  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 365
    error_message = "backup_retention_days must be between 1 and 365: backups cannot be disabled."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse to delete the instance (Terraform and API). Required in prod."
  default     = true
}

variable "multi_az" {
  type        = bool
  description = "High availability (REGIONAL availability type), the counterpart of RDS Multi-AZ."
  default     = false
}

variable "tags" {
  type        = map(string)
  description = "User labels of the instance."
  default     = {}
  validation {
    condition     = alltrue([for k, v in var.tags : can(regex("^[a-z][a-z0-9_-]{0,62}$", k)) && can(regex("^[a-z0-9_-]{0,63}$", v))])
    error_message = "GCP labels need lowercase keys and values of letters, digits, dashes and underscores."
  }
}
