// the logger both apps share lives in libs/domain; this path stays for the api's many importers
export { JsonLogger } from '@sensorhub/domain';
