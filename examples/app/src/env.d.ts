/// <reference types="vite/client" />
interface ImportMetaEnv {
  readonly VITE_AUTHFORM_URL?: string;
}
