{{- define "elastic-stack.labels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: elastic-stack
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{/* Name of the Elasticsearch cluster every other resource refers to. */}}
{{- define "elastic-stack.es" -}}
{{ .Release.Name }}-es
{{- end -}}

{{/* Stack monitoring: ship metrics and logs to the monitoring cluster when it is on. */}}
{{- define "elastic-stack.monitoring" -}}
{{- if and .Values.elasticsearch.enabled .Values.elasticsearch.monitoringCluster.enabled }}
monitoring:
  metrics:
    elasticsearchRefs:
      - name: {{ .Release.Name }}-monitoring
  logs:
    elasticsearchRefs:
      - name: {{ .Release.Name }}-monitoring
{{- end }}
{{- end -}}
