interface CustomValueRequest {
  tenantId: string;
  key: string;
  requestId: string;
  requestedAt: Date;
  now: Date;
}

export interface SetCustomValue extends CustomValueRequest {
  type: 'SetCustomValue';
  value: string;
}

export interface DeleteCustomValue extends CustomValueRequest {
  type: 'DeleteCustomValue';
}

export type CustomValueCommand = SetCustomValue | DeleteCustomValue;
