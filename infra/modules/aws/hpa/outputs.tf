output "hpa_names" {
  description = "Map of component to the name of its HorizontalPodAutoscaler."
  value       = { for k, h in kubernetes_horizontal_pod_autoscaler_v2.this : k => h.metadata[0].name }
}
