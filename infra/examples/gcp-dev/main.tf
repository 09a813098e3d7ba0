# The dev environment on GCP: the same composition as environments/dev, with each AWS module
# swapped for its GCP counterpart. Inputs and outputs keep their names where the concepts match
# (network_id, private_subnet_ids, node_groups, instance_class, lifecycle_rules, ...), so the
# differences below are the GCP-only inputs (project_id, region, location) and the services GCP
# does not split the same way (Cloud Audit Logs, budgets and org policies are enabled at the
# organisation level, outside this configuration).
locals {
  environment = "dev"
  name        = "devops-ai-${local.environment}"
  tags = {
    project     = "devops-ai"
    environment = local.environment
    managed-by  = "terraform"
  }
}

module "network" {
  source = "../../modules/gcp/network"

  name       = local.name
  project_id = var.project_id
  region     = var.region
  cidr       = "10.10.0.0/20"
  tags       = local.tags
}

module "gke" {
  source = "../../modules/gcp/gke"

  name                = local.name
  project_id          = var.project_id
  region              = var.region
  kubernetes_version  = "1.31"
  network_id          = module.network.network_id
  private_subnet_ids  = module.network.private_subnet_ids
  deletion_protection = false
  node_groups = {
    on-demand = { instance_types = ["e2-small"], capacity_type = "ON_DEMAND", min_size = 1, max_size = 3, desired_size = 1 }
    spot      = { instance_types = ["e2-medium"], capacity_type = "SPOT", min_size = 0, max_size = 3, desired_size = 0 }
  }
  tags = local.tags
}

module "database" {
  source     = "../../modules/gcp/cloudsql"
  depends_on = [module.network]

  name                  = local.name
  project_id            = var.project_id
  region                = var.region
  instance_class        = "db-f1-micro"
  allocated_storage_gb  = 10
  network_id            = module.network.network_id
  backup_retention_days = 1
  deletion_protection   = false
  multi_az              = false
  tags                  = local.tags
}

module "artifacts" {
  source = "../../modules/gcp/gcs"

  name          = "${local.name}-artifacts-${var.project_id}"
  project_id    = var.project_id
  location      = upper(var.region)
  force_destroy = true
  lifecycle_rules = [
    { id = "reports", prefix = "reports/", expiration_days = 30, noncurrent_expiration_days = 7 },
    { id = "audit-exports", prefix = "audit/", expiration_days = 90, noncurrent_expiration_days = 7 },
  ]
  tags = local.tags
}

module "iam" {
  source = "../../modules/gcp/iam"

  name                   = "dai-${local.environment}"
  project_id             = var.project_id
  workload_identity_pool = module.gke.workload_identity_pool
  secret_ids             = [module.database.master_secret_id]
  billing_account_id     = var.billing_account_id
  artifacts_bucket_name  = module.artifacts.bucket_name
}
