// The one answer for a request the agency may not see: missing and someone else's look the same,
// so request ids cannot be probed.
import { AppError } from '@hopthu/shared/errors';

export const requestNotFound = () =>
  new AppError('not_found', { vi: 'Không tìm thấy yêu cầu', en: 'Request not found' });
