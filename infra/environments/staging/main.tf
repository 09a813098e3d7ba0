# staging: production-shaped but smaller: deletion protection and backups on, one NAT gateway,
# a single-zone database, spot capacity for bursts.
locals {
  environment = "staging"
  name        = "devops-ai-${local.environment}"
  tags = {
    project     = "devops-ai"
    environment = local.environment
    managed-by  = "terraform"
  }
}

data "aws_caller_identity" "current" {}

module "network" {
  source = "../../modules/aws/network"

  name                    = local.name
  cidr                    = "10.20.0.0/16"
  az_count                = 3
  single_nat_gateway      = true
  flow_log_retention_days = 30
  tags                    = local.tags
}

module "eks" {
  source = "../../modules/aws/eks"

  name                       = local.name
  kubernetes_version         = "1.31"
  network_id                 = module.network.network_id
  private_subnet_ids         = module.network.private_subnet_ids
  workload_security_group_id = module.network.workload_security_group_id
  endpoint_public_access     = length(var.admin_cidrs) > 0
  public_access_cidrs        = var.admin_cidrs
  node_groups = {
    on-demand = { instance_types = ["t4g.medium"], capacity_type = "ON_DEMAND", min_size = 2, max_size = 4, desired_size = 2 }
    spot      = { instance_types = ["m7g.large", "m6g.large"], capacity_type = "SPOT", min_size = 0, max_size = 6, desired_size = 0 }
  }
  tags = local.tags
}

module "database" {
  source = "../../modules/aws/rds"

  name                       = local.name
  instance_class             = "db.t4g.small"
  allocated_storage_gb       = 50
  max_allocated_storage_gb   = 200
  network_id                 = module.network.network_id
  private_subnet_ids         = module.network.private_subnet_ids
  allowed_security_group_ids = [module.network.workload_security_group_id]
  backup_retention_days      = 7
  deletion_protection        = true
  multi_az                   = false
  tags                       = local.tags
}

module "artifacts" {
  source = "../../modules/aws/s3"

  name          = "${local.name}-artifacts-${data.aws_caller_identity.current.account_id}"
  force_destroy = false
  lifecycle_rules = [
    { id = "reports", prefix = "reports/", expiration_days = 90, noncurrent_expiration_days = 30 },
    { id = "audit-exports", prefix = "audit/", transition_to_ia_days = 30, expiration_days = 365, noncurrent_expiration_days = 30 },
  ]
  tags = local.tags
}

module "secrets" {
  source = "../../modules/aws/secrets"

  name                 = "devops-ai/${local.environment}"
  recovery_window_days = 7
  tags                 = local.tags
}

module "iam" {
  source = "../../modules/aws/iam"

  name                = local.name
  oidc_provider_arn   = module.eks.oidc_provider_arn
  oidc_issuer_url     = module.eks.oidc_issuer_url
  secret_ids          = concat(values(module.secrets.secret_ids), [module.database.master_secret_id])
  secrets_kms_key_id  = module.secrets.kms_key_id
  artifacts_bucket_id = module.artifacts.bucket_id
  tags                = local.tags
}

module "audit" {
  source = "../../modules/aws/audit"

  name               = local.name
  log_retention_days = 365
  force_destroy      = false
  tags               = local.tags
}

module "compliance" {
  source = "../../modules/aws/compliance"

  name                 = local.name
  delivery_bucket_name = module.audit.bucket_name
  delivery_kms_key_id  = module.audit.kms_key_id

  require_deletion_protection = true
  tags                        = local.tags
}

module "budgets" {
  source = "../../modules/aws/budgets"

  name              = local.name
  monthly_limit_usd = var.monthly_budget_usd
  webhook_url       = var.budget_webhook_url
  tags              = local.tags
}

module "hpa" {
  source = "../../modules/aws/hpa"
  count  = var.manage_hpa ? 1 : 0

  targets = {
    host        = { min_replicas = 2, max_replicas = 4 }
    cost        = { min_replicas = 1, max_replicas = 3 }
    metrics     = { min_replicas = 1, max_replicas = 4 }
    k8s         = { min_replicas = 1, max_replicas = 3 }
    github      = { min_replicas = 1, max_replicas = 3 }
    forecasting = { min_replicas = 1, max_replicas = 4, memory_utilization_percent = 80 }
  }
}
