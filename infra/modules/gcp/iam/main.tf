# Same split as the AWS iam module: host, cost and metrics get a Google service account through
# Workload Identity; k8s, github and forecasting get none.
locals {
  components_with_roles = ["host", "cost", "metrics"]
  components_without    = ["k8s", "github", "forecasting"]
}

resource "google_service_account" "this" {
  for_each = toset(local.components_with_roles)

  project      = var.project_id
  account_id   = "${var.name}-${each.key}"
  display_name = "devops-ai ${each.key}"
}

resource "google_service_account_iam_member" "workload_identity" {
  for_each = toset(local.components_with_roles)

  service_account_id = google_service_account.this[each.key].name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.workload_identity_pool}[${var.namespace}/${var.release_name}-${each.key}]"
}

resource "google_secret_manager_secret_iam_member" "host" {
  for_each = toset(var.secret_ids)

  project   = var.project_id
  secret_id = each.value
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.this["host"].email}"
}

resource "google_storage_bucket_iam_member" "host" {
  count = var.artifacts_bucket_name == null ? 0 : 1

  bucket = var.artifacts_bucket_name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.this["host"].email}"
}

resource "google_billing_account_iam_member" "cost" {
  count = var.billing_account_id == null ? 0 : 1

  billing_account_id = var.billing_account_id
  role               = "roles/billing.viewer"
  member             = "serviceAccount:${google_service_account.this["cost"].email}"
}

resource "google_project_iam_member" "metrics" {
  project = var.project_id
  role    = "roles/monitoring.viewer"
  member  = "serviceAccount:${google_service_account.this["metrics"].email}"
}
