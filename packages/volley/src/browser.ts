/** volley for browsers: the core with an XHR transport for upload progress, plus download/saveFile. */
export * from '@volley/browser'
