{{- define "commons.labels" -}}
app.kubernetes.io/name: commons
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}
