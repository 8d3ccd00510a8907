// apollo-upload-client (UploadHttpLink under Apollo Client) against a running
// duban server, as a unit's web page would send evidence (佐证材料) with a report:
// the GraphQL multipart request spec, built by the client library, not by hand.
//
//   node upload.mjs URL UNIT_TOKEN TASK_ID
//
// UNIT_TOKEN is a unit account that has signed for task TASK_ID. Checks: a
// photo goes up with uploadEvidence (type told by the content, SHA-256 as
// computed here), submitReport attaches it, the report lists it, the signed
// link `url` serves the same bytes without a token, and a text file named
// .png is refused with BAD_USER_INPUT / FILE_TYPE_REFUSED. Exit 1 on any
// unexpected outcome.
import { createHash } from 'node:crypto';
import { ApolloClient, CombinedGraphQLErrors, InMemoryCache, gql } from '@apollo/client';
import UploadHttpLink from 'apollo-upload-client/UploadHttpLink.mjs';
import { Checks, expect, show } from './common.mjs';

const [url, token, taskId] = process.argv.slice(2);
if (!url || !token || !taskId) {
  console.error('usage: node upload.mjs URL UNIT_TOKEN TASK_ID');
  process.exit(2);
}

const client = new ApolloClient({
  link: new UploadHttpLink({ uri: url, headers: { authorization: `Bearer ${token}` } }),
  cache: new InMemoryCache(),
});
const checks = new Checks(`apollo-upload-client against ${url}`);

// A 1×1 PNG.
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC',
  'base64',
);

const UPLOAD = gql`
  mutation Upload($file: Upload!) {
    uploadEvidence(file: $file) { id fileName contentType byteSize sha256 attached }
  }
`;
const REPORT = gql`
  mutation Report($task: ID!, $evidence: [ID!]) {
    submitReport(taskId: $task, text: "现场已完工,附照片", percent: 80, evidence: $evidence) {
      id
      evidence { id fileName attached url }
    }
  }
`;

let staged;
let reported;

await checks.run('uploadEvidence takes a photo', async () => {
  const file = new File([PHOTO], '现场照片.png', { type: 'image/png' });
  const { data } = await client.mutate({ mutation: UPLOAD, variables: { file } });
  staged = data.uploadEvidence;
  const sha256 = createHash('sha256').update(PHOTO).digest('hex');
  expect(staged.fileName === '现场照片.png', `fileName ${show(staged)}`);
  expect(staged.contentType === 'image/png', `contentType ${show(staged)}`);
  expect(staged.byteSize === PHOTO.length, `byteSize ${show(staged)}`);
  expect(staged.sha256 === sha256, `sha256 ${staged.sha256} != ${sha256}`);
  expect(staged.attached === false, 'staged, not attached yet');
});

await checks.run('submitReport attaches it', async () => {
  const { data } = await client.mutate({ mutation: REPORT, variables: { task: taskId, evidence: [staged.id] } });
  reported = data.submitReport;
  expect(reported.evidence.length === 1 && reported.evidence[0].id === staged.id, show(reported));
  expect(reported.evidence[0].attached === true, 'attached');
});

await checks.run('the signed link serves the photo without a token', async () => {
  const link = new URL(reported.evidence[0].url, url);
  const response = await fetch(link);
  const bytes = Buffer.from(await response.arrayBuffer());
  expect(response.status === 200, `status ${response.status}`);
  expect(response.headers.get('content-type') === 'image/png', `type ${response.headers.get('content-type')}`);
  expect(bytes.equals(PHOTO), 'the bytes as uploaded');
});

await checks.run('a text file named .png is refused with FILE_TYPE_REFUSED', async () => {
  const file = new File(['这不是照片'], '照片.png', { type: 'image/png' });
  try {
    await client.mutate({ mutation: UPLOAD, variables: { file } });
  } catch (error) {
    expect(CombinedGraphQLErrors.is(error), `not a GraphQL error: ${show(error.message)}`);
    const extensions = error.errors[0].extensions;
    expect(extensions.code === 'BAD_USER_INPUT' && extensions.reason === 'FILE_TYPE_REFUSED', show(extensions));
    return;
  }
  throw new Error('the upload was accepted');
});

checks.finish();
