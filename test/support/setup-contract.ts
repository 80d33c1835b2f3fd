import { installContractHook } from './openapi-contract';

installContractHook();
