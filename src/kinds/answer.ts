/** The fields of an API answer every kind's result carries. */
import type { ApiResult } from '../api/client.js';
import type { ResourceResult } from '../model/results.js';

export function answerFields(answer: ApiResult<unknown>): Pick<ResourceResult, 'code' | 'requestId' | 'hint'> {
  return {
    ...(answer.code === undefined ? {} : { code: answer.code }),
    ...(answer.requestId === undefined ? {} : { requestId: answer.requestId }),
    ...(answer.hint === undefined ? {} : { hint: answer.hint }),
  };
}
