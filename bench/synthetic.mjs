// A small stand-in for real chart output, used only when neither ../shared nor charts-test/ output exists:
// Elastic resources relying on the default image, plain workloads with Elastic images, and the kinds that
// cannot hold an image (ConfigMap, Service, Secret, RBAC, a CRD), in Helm's output style.

export function syntheticStack() {
  return [
    doc(
      'eck-stack/charts/eck-elasticsearch/templates/elasticsearch.yaml',
      `apiVersion: elasticsearch.k8s.elastic.co/v1
kind: Elasticsearch
metadata:
  name: elasticsearch
  labels:
    app.kubernetes.io/managed-by: Helm
spec:
  version: 9.1.0
  nodeSets:
    - name: default
      count: 3
      config:
        node.store.allow_mmap: false
      podTemplate:
        spec:
          containers:
          - name: elasticsearch
            resources:
              limits:
                memory: 2Gi
`,
    ),
    doc(
      'eck-stack/charts/eck-kibana/templates/kibana.yaml',
      `apiVersion: kibana.k8s.elastic.co/v1
kind: Kibana
metadata:
  name: kibana
spec:
  version: 9.1.0
  count: 1
  elasticsearchRef:
    name: elasticsearch
`,
    ),
    doc(
      'app/templates/deployment.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shipper
  labels:
    app: shipper
spec:
  replicas: 2
  selector:
    matchLabels:
      app: shipper
  template:
    metadata:
      labels:
        app: shipper
    spec:
      initContainers:
      - name: init
        image: "docker.elastic.co/beats/filebeat:9.1.0"
        command: ["sh", "-c", "true"]
      containers:
      - name: shipper
        image: docker.elastic.co/logstash/logstash:9.1.0
        ports:
        - containerPort: 5044
      - name: sidecar
        image: busybox:1.36
`,
    ),
    doc(
      'app/templates/configmap.yaml',
      `apiVersion: v1
kind: ConfigMap
metadata:
  name: shipper-config
data:
  pipeline.conf: |
    input { beats { port => 5044 } }
    # image: docker.elastic.co/logstash/logstash:9.1.0 is data here
    output { elasticsearch { hosts => ["https://elasticsearch-es-http:9200"] } }
`,
    ),
    doc(
      'app/templates/service.yaml',
      `apiVersion: v1
kind: Service
metadata:
  name: shipper
spec:
  selector:
    app: shipper
  ports:
  - port: 5044
    targetPort: 5044
`,
    ),
    doc(
      'app/templates/rbac.yaml',
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: shipper
rules:
- apiGroups: [""]
  resources: ["pods", "namespaces", "nodes"]
  verbs: ["get", "list", "watch"]
`,
    ),
  ].join('');
}

export function syntheticOperator() {
  const crds = [];
  for (const plural of ['elasticsearches', 'kibanas', 'apmservers', 'beats', 'agents', 'logstashes']) {
    const properties = [];
    for (let i = 0; i < 400; i += 1) {
      properties.push(`                  field${i}:
                    description: Field ${i} of ${plural}; an image such as docker.elastic.co/x/y:1 is text here.
                    type: string`);
    }
    crds.push(
      doc(
        'eck-operator-crds/templates/all-crds.yaml',
        `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.example.k8s.elastic.co
spec:
  group: example.k8s.elastic.co
  names:
    kind: ${plural}
    plural: ${plural}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              podTemplate:
                type: object
                properties:
${properties.join('\n')}
`,
      ),
    );
  }
  crds.push(
    doc(
      'eck-operator/templates/configmap.yaml',
      `apiVersion: v1
kind: ConfigMap
metadata:
  name: elastic-operator
  namespace: elastic-system
data:
  eck.yaml: |-
    log-verbosity: 0
    container-registry: docker.elastic.co
`,
    ),
  );
  crds.push(
    doc(
      'eck-operator/templates/statefulset.yaml',
      `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: elastic-operator
  namespace: elastic-system
spec:
  selector:
    matchLabels:
      control-plane: elastic-operator
  serviceName: elastic-operator
  replicas: 1
  template:
    metadata:
      labels:
        control-plane: elastic-operator
    spec:
      containers:
      - image: "docker.elastic.co/eck/eck-operator:3.1.0"
        name: manager
        args:
          - "manager"
          - "--config=/conf/eck.yaml"
`,
    ),
  );
  return crds.join('');
}

function doc(source, body) {
  return `---\n# Source: ${source}\n${body}`;
}
