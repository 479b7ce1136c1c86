#!/usr/bin/env node
// Checks the console's API types (frontend/src/api/types.ts) against the OpenAPI document the backend serves:
// every exported interface must match a schema of the document, each of its fields must be a property of that
// schema, and the field's type must fit the property's (string, number, boolean, array, map, enum values, and
// references to the schema its own type maps to). Fields the console does not use may be left out of types.ts.
//
//   node scripts/check-api-types.mjs <openapi.json> <types.ts>
//
// ApiDocumentTest runs it with the document it has just read from the application. It parses types.ts with the
// TypeScript compiler the console's build installs (frontend/node_modules), so it needs no network.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let ts;
try {
  ts = createRequire(resolve(root, 'frontend/package.json'))('typescript');
} catch {
  console.error('TypeScript is not installed in frontend/node_modules: run "npm ci" in frontend/ (mvn does it) and retry');
  process.exit(2);
}

/** The schema of the document each interface of types.ts describes, where the names differ. */
const SCHEMA_OF = {
  Concurrency: 'Template.Concurrency',
  Scale: 'Template.Scale',
  RevisionTemplate: 'Template',
  TrafficStatus: 'ServiceView.StatusTraffic',
  ResourceMetadata: 'ServiceView.Metadata',
  ServiceStatus: 'ServiceView.Status',
  Service: 'ServiceView',
  Grant: 'GrantSpec',
  Session: 'SessionController.SessionView',
  Credentials: 'SessionController.SignIn',
  FieldError: 'FieldViolation',
  ProblemDetail: 'Problem',
  ReadySummary: 'ServiceSummary.Ready',
  ColdStartSummary: 'ServiceSummary.ColdStart',
  Instances: 'InstanceCounts.Instances',
  Instance: 'InstanceCounts.Instance',
  Revision: 'RevisionView',
  RevisionTrigger: 'RevisionView.Trigger',
  TemplateChange: 'TemplateDiff.Change',
  RevisionDiff: 'RevisionDiffView',
  ColdStartRevisionSummary: 'ColdStartStats.RevisionSummary',
  ColdStartEvent: 'ColdStartsView.Event',
  ColdStarts: 'ColdStartsView',
  RevisionSeries: 'MetricsView.RevisionMetrics',
  ServiceMetrics: 'MetricsView',
  RevisionRequests: 'RequestHistory.RevisionRequests',
  Latency: 'RequestHistory.Latency',
  RequestRates: 'RequestHistory.Rates',
  ProbeRun: 'ProbeResult.Run',
  AuditEvent: 'AuditEventView',
  Token: 'TokenView',
  User: 'UserView',
  Cluster: 'ClusterView',
  Rollout: 'RolloutView',
  RolloutStatus: 'ServiceView.RolloutStatus',
  RolloutStep: 'StepRecord',
  RolloutCurrent: 'RolloutView.Current',
  ClusterMetadata: 'ClusterView.Metadata',
  ClusterDrift: 'ClusterStatus.Drift',
  ClusterGateways: 'ClusterStatus.Gateways',
  ClusterPeerLink: 'ClusterStatus.PeerLink',
  ControlPlane: 'ControlPlaneView',
};

/** Interfaces of types.ts that are the console's own shapes, with why they have no schema of their own. */
const NOT_A_SCHEMA = {
  Page: 'generic: the document has one ListPage<X> schema per item type, checked through the types that use it',
  CountedPage: 'generic: ServiceSummaryPage in the document',
};

const [documentPath, typesPath] = process.argv.slice(2);
if (!documentPath || !typesPath) {
  console.error('usage: check-api-types.mjs <openapi.json> <types.ts>');
  process.exit(2);
}
const schemas = JSON.parse(readFileSync(documentPath, 'utf8')).components?.schemas ?? {};
const source = ts.createSourceFile(typesPath, readFileSync(typesPath, 'utf8'), ts.ScriptTarget.Latest, true);

const declarations = new Map();
for (const statement of source.statements) {
  if ((ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) && statement.name) {
    declarations.set(statement.name.text, statement);
  }
}

const problems = [];
const schemaName = (tsName) => SCHEMA_OF[tsName] ?? tsName;
const deref = (schema) => {
  let seen = 0;
  while (schema && schema.$ref && seen++ < 20) {
    schema = schemas[schema.$ref.replace('#/components/schemas/', '')];
  }
  return schema;
};
const refName = (schema) => schema?.$ref?.replace('#/components/schemas/', '');

/** The members of an interface, its own and those of the interfaces it extends (type arguments left generic). */
function members(declaration) {
  const list = [...declaration.members];
  for (const clause of declaration.heritageClauses ?? []) {
    for (const type of clause.types) {
      const parent = declarations.get(type.expression.getText(source));
      if (parent && ts.isInterfaceDeclaration(parent)) {
        list.push(...members(parent));
      }
    }
  }
  return list;
}

/** Checks that a value of TypeScript type `node` fits `schema`; `where` names it in a failure. */
function fits(node, schema, where) {
  if (!schema) {
    problems.push(`${where}: the document has no schema here`);
    return;
  }
  const referenced = refName(schema);
  const resolved = deref(schema);
  if (!resolved) {
    problems.push(`${where}: the document refers to the missing schema ${referenced}`);
    return;
  }
  switch (node.kind) {
    case ts.SyntaxKind.UnknownKeyword:
    case ts.SyntaxKind.AnyKeyword:
      return;
    case ts.SyntaxKind.StringKeyword:
      return expectType(resolved, ['string'], where);
    case ts.SyntaxKind.NumberKeyword:
      return expectType(resolved, ['integer', 'number'], where);
    case ts.SyntaxKind.BooleanKeyword:
      return expectType(resolved, ['boolean'], where);
    case ts.SyntaxKind.ParenthesizedType:
      return fits(node.type, schema, where);
    case ts.SyntaxKind.ArrayType:
      if (expectType(resolved, ['array'], where)) {
        fits(node.elementType, resolved.items, `${where}[]`);
      }
      return;
    case ts.SyntaxKind.LiteralType:
      return literal(node.literal, resolved, where);
    case ts.SyntaxKind.UnionType: {
      for (const member of node.types) {
        if (member.kind === ts.SyntaxKind.LiteralType && member.literal.kind === ts.SyntaxKind.NullKeyword) {
          continue;
        }
        if (member.kind === ts.SyntaxKind.UndefinedKeyword || member.kind === ts.SyntaxKind.NullKeyword) {
          continue;
        }
        fits(member, schema, where);
      }
      return;
    }
    case ts.SyntaxKind.TypeLiteral:
      return properties(node.members, resolved, where);
    case ts.SyntaxKind.IndexedAccessType: {
      const owner = declarations.get(node.objectType.getText(source));
      const key = node.indexType.literal?.text;
      const member = owner && ts.isInterfaceDeclaration(owner) && members(owner).find((m) => m.name?.getText(source) === key);
      if (!member) {
        problems.push(`${where}: cannot resolve ${node.getText(source)}`);
        return;
      }
      return fits(member.type, schema, where);
    }
    case ts.SyntaxKind.TypeReference: {
      const name = node.typeName.getText(source);
      if (name === 'Record') {
        if (expectType(resolved, ['object'], where) && typeof resolved.additionalProperties === 'object') {
          fits(node.typeArguments[1], resolved.additionalProperties, `${where}{}`);
        } else if (resolved.additionalProperties === undefined && resolved.properties) {
          problems.push(`${where}: a map in types.ts, an object with fixed properties in the document`);
        }
        return;
      }
      if (name === 'Array') {
        if (expectType(resolved, ['array'], where)) {
          fits(node.typeArguments[0], resolved.items, `${where}[]`);
        }
        return;
      }
      const declaration = declarations.get(name);
      if (!declaration) {
        problems.push(`${where}: ${name} is not declared in types.ts`);
        return;
      }
      if (ts.isTypeAliasDeclaration(declaration)) {
        return fits(declaration.type, schema, where);
      }
      if (NOT_A_SCHEMA[name]) {
        return properties(members(declaration), resolved, where, node.typeArguments);
      }
      if (referenced && referenced !== schemaName(name)) {
        problems.push(`${where}: types.ts says ${name} (schema ${schemaName(name)}), the document says ${referenced}`);
      }
      return;
    }
    default:
      problems.push(`${where}: no rule for the TypeScript type ${node.getText(source)}`);
  }
}

function literal(value, schema, where) {
  if (value.kind === ts.SyntaxKind.StringLiteral) {
    if (expectType(schema, ['string'], where) && schema.enum && !schema.enum.includes(value.text)) {
      problems.push(`${where}: '${value.text}' is not among the document's values ${JSON.stringify(schema.enum)}`);
    }
  } else if (value.kind === ts.SyntaxKind.TrueKeyword || value.kind === ts.SyntaxKind.FalseKeyword) {
    expectType(schema, ['boolean'], where);
  } else if (value.kind === ts.SyntaxKind.NumericLiteral) {
    expectType(schema, ['integer', 'number'], where);
  }
}

function expectType(schema, types, where) {
  const actual = schema.type ?? (schema.properties ? 'object' : undefined);
  if (actual === undefined) {
    return true; // the document leaves it open (any JSON value)
  }
  if (!types.includes(actual)) {
    problems.push(`${where}: ${types.join(' or ')} in types.ts, ${actual} in the document`);
    return false;
  }
  return true;
}

/** Checks each property signature against the schema's properties; type parameters of a generic are taken from `args`. */
function properties(list, schema, where, args) {
  const props = schema.properties ?? {};
  for (const member of list) {
    if (!ts.isPropertySignature(member)) {
      continue;
    }
    const name = member.name.getText(source).replace(/^'|'$/g, '');
    if (!(name in props)) {
      problems.push(`${where}.${name}: not a property of the document's schema (it has: ${Object.keys(props).join(', ')})`);
      continue;
    }
    let type = member.type;
    if (args && type && ts.isArrayTypeNode(type) && ts.isTypeReferenceNode(type.elementType) && type.elementType.typeName.getText(source) === 'T') {
      if (expectType(deref(props[name]), ['array'], `${where}.${name}`)) {
        fits(args[0], deref(props[name]).items, `${where}.${name}[]`);
      }
      continue;
    }
    fits(type, props[name], `${where}.${name}`);
  }
}

let checked = 0;
for (const [name, declaration] of declarations) {
  if (!ts.isInterfaceDeclaration(declaration) || NOT_A_SCHEMA[name]) {
    continue;
  }
  const schema = schemas[schemaName(name)];
  if (!schema) {
    problems.push(`${name}: no schema ${schemaName(name)} in the document; map it in SCHEMA_OF or NOT_A_SCHEMA of scripts/check-api-types.mjs`);
    continue;
  }
  properties(members(declaration), schema, name);
  checked++;
}
for (const name of Object.keys(SCHEMA_OF)) {
  if (!declarations.has(name)) {
    problems.push(`SCHEMA_OF maps ${name}, which types.ts no longer declares`);
  }
}

if (problems.length > 0) {
  console.error(`types.ts disagrees with the API document in ${problems.length} place(s):`);
  for (const problem of problems) {
    console.error(`  ${problem}`);
  }
  process.exit(1);
}
console.log(`types.ts agrees with the API document: ${checked} interfaces checked`);
