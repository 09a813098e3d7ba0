variable "name" {
  type        = string
  description = "Identifier of the database instance (lowercase letters, digits and dashes)."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,58}[a-z0-9]$", var.name))
    error_message = "name must be 3-60 characters of lowercase letters, digits and dashes, starting with a letter."
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
  description = "Instance class, e.g. db.t3.micro (free tier) or db.m7g.large."
  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.instance_class))
    error_message = "instance_class must look like db.<family>.<size>, e.g. db.t3.micro."
  }
}

variable "allocated_storage_gb" {
  type        = number
  description = "Initial storage in GB (gp3)."
  default     = 20
  validation {
    condition     = var.allocated_storage_gb >= 20 && var.allocated_storage_gb <= 65536
    error_message = "allocated_storage_gb must be between 20 and 65536."
  }
}

variable "max_allocated_storage_gb" {
  type        = number
  description = "Upper bound for storage autoscaling in GB; equal to allocated_storage_gb disables autoscaling."
  default     = 100
  validation {
    condition     = var.max_allocated_storage_gb >= 20 && var.max_allocated_storage_gb <= 65536
    error_message = "max_allocated_storage_gb must be between 20 and 65536."
  }
}

variable "database_name" {
  type        = string
  description = "Name of the database created for the host's state (approvals, audit, checkpoints)."
  default     = "devops_ai"
  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must start with a letter and contain lowercase letters, digits and underscores."
  }
}

variable "network_id" {
  type        = string
  description = "ID of the VPC (output network_id of the network module)."
  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.network_id))
    error_message = "network_id must be a VPC ID (vpc-...)."
  }
}

variable "private_subnet_ids" {
  type        = list(string)
  description = "Private subnets of the DB subnet group, in at least two zones."
  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "private_subnet_ids must hold at least two subnets."
  }
}

variable "allowed_security_group_ids" {
  type        = list(string)
  description = "Security groups whose members may connect on 5432. No CIDR-based access exists."
  validation {
    condition     = length(var.allowed_security_group_ids) > 0 && alltrue([for s in var.allowed_security_group_ids : can(regex("^sg-[0-9a-f]+$", s))])
    error_message = "allowed_security_group_ids must hold at least one security group ID (sg-...)."
  }
}

variable "backup_retention_days" {
  type        = number
  description = "Days automated backups are kept (1-35)."
  default     = 7
  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 1 and 35: backups cannot be disabled."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse to delete the instance and take a final snapshot on destroy. Required in prod."
  default     = true
}

variable "multi_az" {
  type        = bool
  description = "Run a synchronous standby in a second zone."
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
