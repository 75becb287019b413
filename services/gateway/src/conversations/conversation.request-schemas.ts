/** `POST /v1/conversations/{phone}/read`: optional; without `upTo`, everything so far is read. */
export const MarkConversationReadRequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    upTo: {
      type: 'string',
      pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
      description:
        'The id of a message of this conversation: it and every message before it are read. ' +
        'Absent: up to the latest message.',
    },
  },
} as const;
