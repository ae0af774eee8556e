export const config = {
  logger: process.env.NODE_ENV === 'production' ? true : { transport: { target: 'pino-pretty' } },
};
