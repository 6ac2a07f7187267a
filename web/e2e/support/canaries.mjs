// Recognisable fake keys. The tests assert that none of them ever appears in the built bundle, the page,
// browser storage, any response the page received, or the server's output.
export const CANARY = {
  openaiGlobal: 'sk-e2eGlobalCanary000000000000000000000001',
  openaiOwner: 'sk-proj-e2eOwnerCanary0000000000000000000002',
  anthropicGlobal: 'sk-ant-e2eGlobalCanary00000000000000000003',
  rejected: 'sk-e2eRejectedCanary0000000000000000000004',
  anthropicOwner: 'sk-ant-e2eOwnerCanary0000000000000000000005',
};
