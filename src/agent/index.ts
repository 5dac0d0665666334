// Public surface of the agent: the host agent, its parts for tests and benchmarks, and the lab.
export { HostAgent, type HostAgentOptions, type AgentLog } from './host-agent.js';
export { AgentModel, MalformedInputError } from './agent-model.js';
export { AgentStateStore } from './agent-state-store.js';
export { FeedFormatError, ServerClient, ServerError, type Credentials, type Snapshot } from './server-client.js';
export { NftTable, nftRunner, type ScriptRunner, type ApplyResult } from './nft-apply.js';
export { desiredState, type HostOptions } from './desired-state.js';
export { renderFull, renderDiff } from './nft-render.js';
export { EMPTY_STATE, TABLE, type NftState, type NftSet } from './nft-state.js';
export { interfaceOf } from './port-chains.js';
export { cutConnections, parseConntrack, connectionsToCut } from './conntrack-cut.js';
export { labUp, labDown, namespaceNameOf, type LabRecord } from './lab-netns.js';
export { runCommand, CommandError } from './command-runner.js';
export { createAgentMetrics, type AgentMetrics, type AgentHealth } from './agent-metrics.js';
export { listenForAgentMetrics, listenLocally, parseListenAddress, scrape, type LocalListener, type LocalAnswer } from './local-listener.js';
export { fetchTrusting, readCaFile } from './trusted-fetch.js';
