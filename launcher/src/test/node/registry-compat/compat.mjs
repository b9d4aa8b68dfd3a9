// Uses @kafkajs/confluent-schema-registry, unchanged, against the registry at argv[2]:
// registers a schema, encodes a record in Confluent's wire format, decodes a record the Java
// serde wrote, and tries an incompatible change. Prints one JSON line with what it saw.
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';

const [url, subject, touchpointSchemaId, javaHex] = process.argv.slice(2);
const registry = new SchemaRegistry({ host: url });

const greeting = {
  type: 'record', name: 'Greeting', namespace: 'compat',
  fields: [{ name: 'text', type: 'string' }],
};
const greetingMore = {
  ...greeting,
  fields: [...greeting.fields, { name: 'count', type: 'int', default: 0 }],
};
const greetingBroken = {
  ...greeting,
  fields: [...greeting.fields, { name: 'mandatory', type: 'int' }],
};

const first = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(greeting) }, { subject });
const again = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(greeting) }, { subject });
const second = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(greetingMore) }, { subject });
const latestId = await registry.getLatestSchemaId(subject);
let incompatible = null;
try {
  await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(greetingBroken) }, { subject });
} catch (e) {
  incompatible = { name: e.name, message: e.message };
}

const decodedFromJava = await registry.decode(Buffer.from(javaHex, 'hex'));
const touchpoint = {
  eventId: 'node-1', customerId: 'from-node', anonymousId: null, type: 'page_view',
  channel: 'web', source: 'node-sdk', occurredAt: 1700000000000, receivedAt: 1700000000250,
  identities: {}, attributes: { page: '/home' }, amount: null, currency: null, items: [], context: {},
};
const encodedForJava = await registry.encode(Number(touchpointSchemaId), touchpoint);

console.log(JSON.stringify({
  firstId: first.id, againId: again.id, secondId: second.id, latestId, incompatible,
  decodedCustomerId: decodedFromJava.customerId,
  decodedItemCategory: decodedFromJava.items[0]?.category,
  encodedForJavaHex: encodedForJava.toString('hex'),
}));
