{{/* Fully qualified name: release-scoped operator name. */}}
{{- define "eck-operator-lite.name" -}}
elastic-operator
{{- end -}}

{{- define "eck-operator-lite.labels" -}}
app.kubernetes.io/name: {{ include "eck-operator-lite.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{/* The operator image: repository[-ubi][-fips]:tag[@digest]. */}}
{{- define "eck-operator-lite.image" -}}
{{- $repo := .Values.image.repository -}}
{{- if .Values.config.ubiOnly -}}{{- $repo = printf "%s-ubi" $repo -}}{{- end -}}
{{- if .Values.image.fips -}}{{- $repo = printf "%s-fips" $repo -}}{{- end -}}
{{- $ref := printf "%s:%s" $repo (default .Chart.AppVersion .Values.image.tag) -}}
{{- if .Values.image.digest -}}{{- $ref = printf "%s@%s" $ref .Values.image.digest -}}{{- end -}}
{{- $ref -}}
{{- end -}}
