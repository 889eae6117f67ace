import { QueryClient, QueryClientProvider, useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { track } from './events.js'
import { describeError, failingQuery, feedQuery, greetingQuery, pageQuery, profileQuery, queryDefaults, upload } from '../../shared/tanstack.js'

const queryClient = new QueryClient({ defaultOptions: queryDefaults })

/** A query and the query that depends on it. */
function ProfileQuery({ tag, path }: { tag: string; path: string }) {
  const profile = useQuery(profileQuery(path))
  const greeting = useQuery(greetingQuery(tag, profile.data?.hello))
  return (
    <div className="card">
      {profile.isPending && <p>Loading query…</p>}
      {profile.isError && <p role="alert">{describeError(profile.error)}</p>}
      {profile.data && <p data-testid="tq-profile">{profile.data.hello ? `Hello, ${profile.data.hello}` : `n: ${profile.data.n}`}</p>}
      {greeting.data && <p data-testid="tq-dependent">dependent: {greeting.data.query.of}</p>}
      <button onClick={() => void profile.refetch()}>Refetch</button>
    </div>
  )
}

function Pages({ tag }: { tag: string }) {
  const [page, setPage] = useState(0)
  const query = useQuery(pageQuery(tag, page))
  return (
    <div>
      <button onClick={() => setPage((p) => p + 1)}>Next page</button>
      {query.data && <p data-testid="tq-page">page {page + 1}: {query.data.items.join(',')} ({query.data.answers} answers)</p>}
    </div>
  )
}

function Upload({ tag }: { tag: string }) {
  const [percent, setPercent] = useState(0)
  const onPercent = (value: number): void => {
    track(`upload: ${value}`)
    setPercent(value)
  }
  const mutation = useMutation({ mutationFn: (bytes: number) => upload(tag, bytes, onPercent) })
  return (
    <div>
      <button onClick={() => mutation.mutate(300_000)}>Upload</button>
      <progress aria-label="upload progress" max={100} value={percent} />
      {mutation.data && <p data-testid="tq-upload">uploaded {mutation.data.bytes} bytes</p>}
    </div>
  )
}

function Feed({ tag }: { tag: string }) {
  const feed = useInfiniteQuery(feedQuery(tag))
  const rows = feed.data?.pages.flat() ?? []
  return (
    <div>
      <button onClick={() => void feed.fetchNextPage()} disabled={!feed.hasNextPage || feed.isFetchingNextPage}>
        Load more
      </button>
      <p data-testid="tq-feed">rows: {rows.length}{feed.hasNextPage ? '' : ' (end)'}</p>
    </div>
  )
}

function Failing({ tag }: { tag: string }) {
  const query = useQuery(failingQuery(tag))
  return <p data-testid="tq-error">{query.isError ? describeError(query.error) : query.status}</p>
}

/** The TanStack Query section: volley does the fetching, retrying and cancelling; TanStack caches. */
export function TanStack({ tag }: { tag: string }) {
  const [path, setPath] = useState<string>()
  const [failing, setFailing] = useState(false)
  return (
    <QueryClientProvider client={queryClient}>
      <button onClick={() => setPath(`/json?key=${tag}-profile`)}>Show query</button>
      <button onClick={() => setPath(`/tail?every=2&slow=60000&key=${tag}-slow`)}>Show slow query</button>
      <button onClick={() => setPath(undefined)}>Hide query</button>
      <button onClick={() => setFailing(true)}>Show failing query</button>
      {path && <ProfileQuery tag={`${tag}-profile`} path={path} />}
      {failing && <Failing tag={`${tag}-failing`} />}
      <Pages tag={`${tag}-pages`} />
      <Upload tag={`${tag}-upload`} />
      <Feed tag={`${tag}-feed`} />
    </QueryClientProvider>
  )
}
