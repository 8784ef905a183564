// Comunica and sparql-http-client against one endpoint, the way their READMEs use them. Reads the endpoint
// and the queries as JSON on argv[2]; prints one JSON object: what each client got back.
import { QueryEngine } from '@comunica/query-sparql';
import SparqlClient from 'sparql-http-client';
import ParsingClient from 'sparql-http-client/ParsingClient.js';

const { endpoint, select, ask, construct } = JSON.parse(process.argv[2]);
const out = {};

const collect = (stream) => new Promise((resolve, reject) => {
  const items = [];
  stream.on('data', (item) => items.push(item));
  stream.on('error', reject);
  stream.on('end', () => resolve(items));
});

// Comunica: the endpoint as a SPARQL source; the engine parses the query and sends it on.
const engine = new QueryEngine();
const context = { sources: [{ type: 'sparql', value: endpoint }], lenient: false };
const bindings = await (await engine.queryBindings(select, context)).toArray();
out.comunica = {
  select: bindings.map((b) => b.get('c').value),
  ask: await engine.queryBoolean(ask, context),
  construct: (await (await engine.queryQuads(construct, context)).toArray())
    .map((q) => [q.subject.value, q.predicate.value, q.object.value]),
};

// sparql-http-client: the default stream client (GET) and the parsing client (POST, URL-encoded).
const streaming = new SparqlClient({ endpointUrl: endpoint });
const parsing = new ParsingClient({ endpointUrl: endpoint });
out.streamClient = {
  select: (await collect(streaming.query.select(select))).map((row) => row.c.value),
  ask: await streaming.query.ask(ask),
  construct: (await collect(streaming.query.construct(construct)))
    .map((q) => [q.subject.value, q.predicate.value, q.object.value]),
};
out.parsingClient = {
  select: (await parsing.query.select(select, { operation: 'postUrlencoded' })).map((row) => row.c.value),
  ask: await parsing.query.ask(ask, { operation: 'postUrlencoded' }),
  construct: [...await parsing.query.construct(construct, { operation: 'postUrlencoded' })]
    .map((q) => [q.subject.value, q.predicate.value, q.object.value]),
};

process.stdout.write(JSON.stringify(out));
