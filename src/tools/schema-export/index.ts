export * from './channel-contracts.js';
export * from './json-schemas.js';
export * from './asyncapi-document.js';
export * from './write-schemas.js';
