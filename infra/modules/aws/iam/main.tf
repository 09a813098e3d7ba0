# Least-privilege roles for the platform's service accounts (IRSA). Only components that call
# AWS get a role: the host (its secrets and artifacts), cost (Cost Explorer, read only) and
# metrics (CloudWatch metrics, read only). The k8s, github and forecasting servers get none.
locals {
  issuer = replace(var.oidc_issuer_url, "https://", "")

  components_with_roles = ["host", "cost", "metrics"]
  components_without    = ["k8s", "github", "forecasting"]
}

data "aws_iam_policy_document" "assume" {
  for_each = toset(local.components_with_roles)

  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:sub"
      values   = ["system:serviceaccount:${var.namespace}:${var.release_name}-${each.key}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = toset(local.components_with_roles)

  name                 = "${var.name}-${each.key}"
  assume_role_policy   = data.aws_iam_policy_document.assume[each.key].json
  max_session_duration = 3600
  tags                 = merge(var.tags, { "devops-ai/component" = each.key })
}

data "aws_iam_policy_document" "host" {
  dynamic "statement" {
    for_each = length(var.secret_ids) > 0 ? [1] : []
    content {
      sid       = "ReadOwnSecrets"
      effect    = "Allow"
      actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
      resources = var.secret_ids
    }
  }
  dynamic "statement" {
    for_each = var.secrets_kms_key_id == null ? [] : [1]
    content {
      sid       = "DecryptSecretsViaSecretsManager"
      effect    = "Allow"
      actions   = ["kms:Decrypt"]
      resources = [var.secrets_kms_key_id]
      condition {
        test     = "StringLike"
        variable = "kms:ViaService"
        values   = ["secretsmanager.*.amazonaws.com"]
      }
    }
  }
  dynamic "statement" {
    for_each = var.artifacts_bucket_id == null ? [] : [1]
    content {
      sid       = "ListArtifacts"
      effect    = "Allow"
      actions   = ["s3:ListBucket"]
      resources = [var.artifacts_bucket_id]
    }
  }
  dynamic "statement" {
    for_each = var.artifacts_bucket_id == null ? [] : [1]
    content {
      sid       = "ReadWriteArtifacts"
      effect    = "Allow"
      actions   = ["s3:GetObject", "s3:PutObject"]
      resources = ["${var.artifacts_bucket_id}/*"]
    }
  }
  # An empty document is invalid; this harmless statement keeps it well-formed when nothing is granted.
  statement {
    sid       = "WhoAmI"
    effect    = "Allow"
    actions   = ["sts:GetCallerIdentity"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "cost" {
  statement {
    sid    = "CostExplorerReadOnly"
    effect = "Allow"
    actions = [
      "ce:GetCostAndUsage",
      "ce:GetCostForecast",
      "ce:GetDimensionValues",
      "ce:GetTags",
      "ce:GetAnomalies",
      "ce:GetAnomalyMonitors",
      "ce:GetRightsizingRecommendation",
      "ce:GetSavingsPlansUtilization",
      "ce:GetReservationUtilization",
    ]
    # Cost Explorer has no resource-level permissions.
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "metrics" {
  statement {
    sid       = "CloudWatchMetricsReadOnly"
    effect    = "Allow"
    actions   = ["cloudwatch:GetMetricData", "cloudwatch:GetMetricStatistics", "cloudwatch:ListMetrics"]
    resources = ["*"]
  }
}

locals {
  documents = {
    host    = data.aws_iam_policy_document.host.json
    cost    = data.aws_iam_policy_document.cost.json
    metrics = data.aws_iam_policy_document.metrics.json
  }
}

resource "aws_iam_role_policy" "this" {
  for_each = toset(local.components_with_roles)

  name   = "${each.key}-least-privilege"
  role   = aws_iam_role.this[each.key].id
  policy = local.documents[each.key]
}
