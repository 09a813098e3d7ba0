resource "kubernetes_horizontal_pod_autoscaler_v2" "this" {
  for_each = var.targets

  metadata {
    name      = "${var.release_name}-${each.key}"
    namespace = var.namespace
    labels = merge(var.labels, {
      "app.kubernetes.io/name"       = each.key
      "app.kubernetes.io/instance"   = var.release_name
      "app.kubernetes.io/managed-by" = "terraform"
    })
  }

  spec {
    min_replicas = each.value.min_replicas
    max_replicas = each.value.max_replicas

    scale_target_ref {
      api_version = "apps/v1"
      kind        = "Deployment"
      name        = "${var.release_name}-${each.key}"
    }

    metric {
      type = "Resource"
      resource {
        name = "cpu"
        target {
          type                = "Utilization"
          average_utilization = each.value.cpu_utilization_percent
        }
      }
    }

    dynamic "metric" {
      for_each = each.value.memory_utilization_percent == null ? [] : [each.value.memory_utilization_percent]
      content {
        type = "Resource"
        resource {
          name = "memory"
          target {
            type                = "Utilization"
            average_utilization = metric.value
          }
        }
      }
    }

    behavior {
      scale_up {
        stabilization_window_seconds = 0
        select_policy                = "Max"
        policy {
          type           = "Percent"
          value          = 100
          period_seconds = 60
        }
      }
      scale_down {
        stabilization_window_seconds = each.value.scale_down_stabilization_sec
        select_policy                = "Min"
        policy {
          type           = "Pods"
          value          = 1
          period_seconds = 60
        }
      }
    }
  }
}
