import { randomBytes } from 'node:crypto';

import { HttpStatus, Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import mqtt, { MqttClient } from 'mqtt';

import { mqttTlsOptions } from '@sensorhub/domain';

import { ApiError } from '../common/errors';
import { JsonLogger } from '../common/logging/json-logger';
import { API_CONFIG } from '../config/config.tokens';
import { ApiConfig } from '../config/api.config';

const PUBLISH_TIMEOUT_MS = 5000;

/** The API's one broker connection: QoS 1 publishes (packets, commands) and the broker health check. */
@Injectable()
export class MqttService implements OnModuleInit, OnApplicationShutdown {
  private client?: MqttClient;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly logger: JsonLogger,
  ) {}

  onModuleInit(): void {
    this.client = mqtt.connect(this.config.MQTT_URL, {
      clientId: `sensorhub-api-${randomBytes(4).toString('hex')}`,
      username: this.config.MQTT_USERNAME,
      password: this.config.MQTT_PASSWORD,
      ...mqttTlsOptions(this.config),
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
    });
    this.client.on('error', (err) =>
      this.logger.warn({ msg: 'broker error', error: err.message }, 'MqttService'),
    );
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Resolves once the broker acknowledged (PUBACK); 503 BROKER_UNAVAILABLE after 5 s. */
  async publish(topic: string, payload: string | Buffer): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ApiError(
              HttpStatus.SERVICE_UNAVAILABLE,
              'BROKER_UNAVAILABLE',
              'the broker did not acknowledge in time',
            ),
          ),
        PUBLISH_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([this.client!.publishAsync(topic, payload, { qos: 1 }), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.endAsync(true);
  }
}
