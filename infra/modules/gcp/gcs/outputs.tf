output "bucket_name" {
  description = "Name of the bucket."
  value       = google_storage_bucket.this.name
}

output "bucket_id" {
  description = "Self link of the bucket."
  value       = google_storage_bucket.this.self_link
}
